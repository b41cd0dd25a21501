"""koldioxidbudget: Paris-aligned carbon budgets for Swedish municipalities, counties and Sweden.

One BLAS thread per process, unless the environment says otherwise: the engine multiplies small
matrices (312 areas × 290 municipalities), where OpenBLAS's thread pool costs far more than it
gains. Measured on two cores: one new parameter set took 20 ms of CPU with the default pool and
6 ms with one thread, and the pool's spinning threads crowded out the server's other requests.
Set before numpy is first imported (this package never imports it before this line).
"""

import os as _os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
del _var
