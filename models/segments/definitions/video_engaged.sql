{% set definition %}
rule:
  # some video watched to three quarters: its furthest heartbeat position / length
  events:
    event: video_content_playing
    within_days: 30
    group_by: video_id
    max: video_watch_ratio
    gte: 0.75
activation:
  destinations: [hubspot]
{% endset %}

{{ segment(fromyaml(definition)) }}
