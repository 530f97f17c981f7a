{#-
    A raw table as an incremental model reads it (staging, quarantined_events): only what
    this model has not read yet.
    - A full build reads every file listed now.
    - An incremental run reads the files raw_files_loaded() has no row for since this
      model's latest full build: new files, and files rewritten since (another size or
      modification time), whole, whatever their rows' received_at. A load that lands
      weeks late is read; a run with no new file reads no raw row.
    - An incremental run of a model the manifest has no row for (a warehouse built before
      it existed) reads the rows received since the newest loaded row minus
      var('lookback_days'), as incremental runs did before; its files count as read from
      then on.
    The files read are written into the SQL as a comment, which the post-hook
    record_raw_files_loaded() reads back: what is recorded is exactly what the statement
    read, even if a file lands meanwhile. When parsing, in unit tests, and for an optional
    table without files, this is raw_table().
-#}
{%- macro raw_table_since_last_load(source_name, table_name) -%}
    {%- if not execute or model.resource_type == 'unit_test' or not raw_table_exists(table_name) -%}
        {{- return(raw_table(source_name, table_name)) -}}
    {%- endif -%}
    {%- set files = raw_files_listed(table_name) -%}
    {%- for file in files if '*/' in file.name -%}
        {{- exceptions.raise_compiler_error(
            "Raw file '" ~ raw_data_path() ~ '/' ~ table_name ~ '/' ~ file.name
            ~ "': a file name cannot contain '*/' (the files read are recorded in a SQL comment)."
        ) -}}
    {%- endfor -%}
    {%- set full_build_at = run_started_at.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
    {%- set where = none -%}
    {%- if is_incremental() -%}
        {%- set loaded = raw_files_loaded_by_model(table_name) -%}
        {%- if loaded is none -%}
            {%- set cutoff = received_cutoff(var('lookback_days')) -%}
            {%- if cutoff is not none -%}
                {%- set where = '(received_at >= ' ~ cutoff ~ ' or received_at is null)' -%}
            {%- endif -%}
        {%- else -%}
            {%- set full_build_at = loaded.full_build_at -%}
            {%- set files = files | reject('in', loaded.files) | list -%}
        {%- endif -%}
    {%- endif -%}
    {%- set read = {'table': table_name, 'full_build_at': full_build_at, 'files': files} -%}
    {{- return(
        raw_table_files(table_name, files | map(attribute='name') | list, where)
        ~ ' /* raw files read: ' ~ tojson(read) ~ ' */'
    ) -}}
{%- endmacro -%}

{#- The files of `table_name` that this model's raw_files_loaded() table records since
    its latest full build, as {full_build_at, files} (files as raw_files_listed gives
    them); none when that table does not exist or is empty. -#}
{%- macro raw_files_loaded_by_model(table_name) -%}
    {%- set manifest = raw_files_loaded(model.name) -%}
    {%- set manifest = adapter.get_relation(
        database=this.database, schema=manifest.schema, identifier=manifest.identifier
    ) -%}
    {%- if manifest is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set query -%}
        with

        latest as (

            select max(full_build_at) as full_build_at
            from {{ manifest }}

        )

        select
            latest.full_build_at,
            loaded.file_name,
            loaded.file_size,
            loaded.file_modified_us
        from latest
        left join {{ manifest }} as loaded
            on
                loaded.table_name = {{ string_literal(table_name) }}
                and loaded.full_build_at = latest.full_build_at
    {%- endset -%}
    {%- set rows = run_query(query).rows -%}
    {%- if rows | length == 0 or rows[0][0] is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set files = [] -%}
    {%- for row in rows if row[1] is not none -%}
        {%- do files.append({'name': row[1], 'size': row[2] | int, 'modified_us': row[3] | int}) -%}
    {%- endfor -%}
    {%- set full_build_at = rows[0][0] -%}
    {%- if full_build_at is not string -%}
        {%- set full_build_at = full_build_at.strftime('%Y-%m-%d %H:%M:%S.%f') -%}
    {%- endif -%}
    {{- return({'full_build_at': full_build_at, 'files': files}) -}}
{%- endmacro -%}
