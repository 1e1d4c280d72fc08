"""Training pipeline: prepare -> train -> evaluate -> register, one module per DVC stage."""
