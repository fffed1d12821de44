"""Who may read what: the participant access rule, next to the staff helpers."""
