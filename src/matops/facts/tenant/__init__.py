"""Cloud identity tenants (Microsoft 365 / Entra ID, Google Workspace): fact models, the
least-privilege permission table and, beside them, the collectors."""
