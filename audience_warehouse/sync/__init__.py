"""Reverse-ETL: push sync models (models/syncs/sync_<destination>_<object>) to destinations.

records     read a sync model's rows as records with a content hash
state       what each sync last delivered, run history and rejections, in the warehouse
plan        diff records against state: what to add, change and remove, by mode
ratelimit   token buckets shared per destination account
retry       retries with exponential backoff, jitter and Retry-After
destination the interface a destination implements, and its outcome types
engine      run one sync: plan, batch, send, record outcomes, commit confirmed state
"""
