"""The bank's working-day calendar as versions admins enter and confirm (four eyes), and how a
confirmed change reaches the open cases it touches."""
