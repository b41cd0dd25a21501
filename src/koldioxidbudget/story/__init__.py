"""Language lives here: text catalogues (sv first, en second) and Babel formatting."""
