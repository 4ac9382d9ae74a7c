"""Running migrations: versioned V/U files (:mod:`.versioned`, :mod:`.files`), the history
table (:mod:`.history`), the executor with its lock timeouts, retries and resume
(:mod:`.executor`, :mod:`.script`, :mod:`.resume`), one run at a time (:mod:`.exclusive`),
``migrate new`` (:mod:`.authoring`) and declarative apply (:mod:`.declarative`)."""
