"""The base every stage stands on: where things are (:mod:`.paths`), the one error users
see (:mod:`.errors`) and the file plumbing (:mod:`.files`: hashing, atomic writes, locks,
swapping a folder into place). Any stage may import it; it imports no stage."""
