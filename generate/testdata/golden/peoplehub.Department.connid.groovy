# People choose the UID on create and the API addresses objects by it.
# connls:ignore uid-mutable
UID: code
NAME: title
