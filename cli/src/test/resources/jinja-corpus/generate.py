#!/usr/bin/env python3
"""Renders each template of this corpus with Ansible's own Jinja2 setup, as Ansible's template module does
(trim_blocks on, lstrip_blocks off, '#jinja2:' overrides, trailing newlines kept), with the variables of
variables.json. Without arguments it rewrites NAME.expected beside each NAME.j2; with names it prints each
rendering to standard output (what JinjaCorpusTest compares live). Needs Debian's ansible package."""
import json
import os
import sys

from ansible.parsing.dataloader import DataLoader
from ansible.template import AnsibleEnvironment, Templar

HERE = os.path.dirname(os.path.abspath(__file__))


def render(name):
    with open(os.path.join(HERE, 'variables.json'), encoding='utf-8') as f:
        variables = json.load(f)
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        source = f.read()
    templar = Templar(loader=DataLoader(), variables=variables).copy_with_new_env(
        environment_class=AnsibleEnvironment, newline_sequence='\n', trim_blocks=True, lstrip_blocks=False)
    return templar.do_template(source, preserve_trailing_newlines=True, escape_backslashes=False)


if __name__ == '__main__':
    if len(sys.argv) > 1:
        for name in sys.argv[1:]:
            sys.stdout.write(render(name))
    else:
        for name in sorted(n for n in os.listdir(HERE) if n.endswith('.j2')):
            with open(os.path.join(HERE, name[:-3] + '.expected'), 'w', encoding='utf-8') as f:
                f.write(render(name))
