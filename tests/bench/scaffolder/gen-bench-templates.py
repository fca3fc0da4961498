#!/usr/bin/env python3
"""Writes the scaffolder benchmark's Template directories into OUT:
  fetch-2000/  one fetch:template step over a 2,000-file skeleton (40
               directories of 50 text files, ~1 KB each, with values,
               conditions, loops and templated names)
  steps-10/    ten steps of every built-in family over a 20-file skeleton
  empty/       one debug:log step (process start-up and loading, for the
               baseline)
and values.json next to them. usage: gen-bench-templates.py OUT"""
import json, os, sys

out = sys.argv[1]

FILE = """# ${{ values.name }} / module %(d)d file %(f)d
owner: ${{ values.owner }}
description: ${{ values.description | default("none", true) }}
{%% if values.database == "postgres" %%}
database:
  engine: postgres
  url: postgres://${{ values.name }}-db:5432/${{ values.name | replace("-", "_") }}
{%% else %%}
database: none
{%% endif %%}
tags:
{%% for t in values.tags %%}  - ${{ t | lower }}
{%% endfor %%}
%(padding)s
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(text)


def skeleton(root, dirs, files):
    padding = '\n'.join(f'# line {i}: plain text that the renderer copies as it is, no tags here.' for i in range(8))
    for d in range(dirs):
        for f in range(files):
            name = f'${{{{ values.name }}}}-{f}.yaml' if f % 10 == 0 else f'file-{f}.yaml'
            write(os.path.join(root, f'module-{d}', name), FILE % {'d': d, 'f': f, 'padding': padding})


HEAD = """apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: %s
spec:
  type: service
  parameters:
    required: [name]
    properties:
      name: {type: string}
  steps:
"""
VALUES = """        values:
          name: ${{ parameters.name }}
          owner: ${{ parameters.owner }}
          description: ${{ parameters.description }}
          database: ${{ parameters.database }}
          tags: ${{ parameters.tags }}
"""

skeleton(os.path.join(out, 'fetch-2000', 'skeleton'), 40, 50)
write(os.path.join(out, 'fetch-2000', 'template.yaml'), HEAD % 'fetch-2000' + """    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
""" + VALUES)

skeleton(os.path.join(out, 'steps-10', 'skeleton'), 2, 10)
write(os.path.join(out, 'steps-10', 'plain', 'LICENSE'), 'MIT\n' * 50)
write(os.path.join(out, 'steps-10', 'one.txt'), 'single ${{ values.name }}\n')
write(os.path.join(out, 'steps-10', 'template.yaml'), HEAD % 'steps-10' + """    - id: fetch
      action: fetch:template
      input:
        url: ./skeleton
""" + VALUES + """    - id: again
      action: fetch:template
      input:
        url: ./skeleton
        targetPath: copy
        copyWithoutTemplating: ['module-1/**']
""" + VALUES + """    - id: plain
      action: fetch:plain
      input: {url: ./plain, targetPath: legal}
    - id: file
      action: fetch:template:file
      input: {url: ./one.txt, targetPath: docs/one.txt, values: {name: '${{ parameters.name }}'}}
    - id: rename
      action: fs:rename
      input: {files: [{from: legal/LICENSE, to: LICENSE}]}
    - id: delete
      action: fs:delete
      input: {files: ['copy/module-1/*-3.yaml']}
    - id: list
      action: fs:readdir
      input: {paths: ['.'], recursive: true}
    - id: log
      action: debug:log
      input: {message: '${{ steps.list.output.files | length }} files'}
    - id: each
      each: ${{ parameters.tags }}
      action: debug:log
      input: {message: 'tag ${{ each.value }}'}
    - id: done
      action: debug:log
      input: {message: done, listWorkspace: true}
  output:
    files: ${{ steps.list.output.files | length }}
""")

write(os.path.join(out, 'empty', 'template.yaml'), HEAD % 'empty' + """    - id: log
      action: debug:log
      input: {message: hi}
""")
write(os.path.join(out, 'values.json'), json.dumps({
    'name': 'bench-svc', 'owner': 'group:default/platform', 'description': '', 'database': 'postgres',
    'tags': ['Go', 'gRPC', 'Postgres']}) + '\n')
