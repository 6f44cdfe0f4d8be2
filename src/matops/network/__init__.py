"""Switch baselines: render from the inventory, diff with hier_config, push with netmiko."""
