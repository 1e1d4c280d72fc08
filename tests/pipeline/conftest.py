"""What the pipeline tests share."""

import pytest
from threadpoolctl import threadpool_limits


@pytest.fixture(autouse=True)
def one_blas_thread():
    """Deterministic fits (and no idle-spinning BLAS threads on small problems)."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield
