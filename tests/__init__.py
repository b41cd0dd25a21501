# The package first: it limits BLAS to one thread before anything imports numpy (koldioxidbudget/__init__.py).
import koldioxidbudget  # noqa: F401
