"""Discovery of dependencies from data: functional dependencies (TANE), unique column
combinations, inclusion dependencies; every reported dependency is checked on all rows."""
