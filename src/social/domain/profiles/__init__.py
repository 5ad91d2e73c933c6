"""Public profiles: what others see of an account (PROF-1)."""
