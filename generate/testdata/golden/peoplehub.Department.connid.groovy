# UID code: named code, PUT /departments/{code} addresses objects by it, immutable, a string
# People choose the UID on create and the API addresses objects by it.
# connls:ignore uid-mutable
UID: code
# NAME title: named title, required, creatable, a string
NAME: title
