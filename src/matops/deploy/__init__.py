"""Deploy the Linux roles (``roles/<role>/``) with Ansible or pyinfra, from the same inventory.

* :mod:`matops.deploy.variables`: which variables a role's templates see (defaults merged with
  the host's inventory variables, Ansible's precedence), and the shared Jinja2 environment.
* :mod:`matops.deploy.tasks`, :mod:`matops.deploy.engine`, :mod:`matops.deploy.pyinfra_engine`:
  the pyinfra engine, which runs a role's Ansible tasks (loaded with Ansible's loader, planned with
  its templar, each module mapped to one pyinfra operation); ``show_plan`` prints a role's plan.
* :mod:`matops.deploy.pyinfra_roles`: reading a role's defaults, rendering and pushing its
  templates.
* :mod:`matops.deploy.runner`: runs ``ansible-playbook`` or the ``pyinfra`` CLI and collects a
  per-host result (changed, ok, failed).
"""
