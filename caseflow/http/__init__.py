"""The HTTP face of caseflow (FastAPI): the API's routes, and the staff web pages to come."""
