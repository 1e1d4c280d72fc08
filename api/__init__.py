"""The ticket service: FastAPI over SQLAlchemy, routing tickets with rules plus the model."""
