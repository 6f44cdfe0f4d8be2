"""Summer refresh rollouts: plan, waves of schools, steps, a journal, and resume."""
