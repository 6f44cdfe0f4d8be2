"""Deploy the Linux roles (``roles/<role>/``) with Ansible or pyinfra, from the same inventory.

* :mod:`matops.deploy.variables`: which variables a role's templates see (defaults merged with
  the host's inventory variables, Ansible's precedence), and the shared Jinja2 environment.
* :mod:`matops.deploy.pyinfra_roles`: what a role's pyinfra twin (``deploy.py``) uses to read
  the role's defaults and render and push its templates.
* :mod:`matops.deploy.runner`: runs ``ansible-playbook`` or the ``pyinfra`` CLI and collects a
  per-host result (changed, ok, failed).
"""
