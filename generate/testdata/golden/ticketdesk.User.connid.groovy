objectClass("User") {
    // UID id: named id, single-result search /users/{id} filters on it, PATCH /users/{id} addresses
    // objects by it, assigned by the resource (not creatable, not updateable), an integer
    connIdAttribute("UID", "id")
    // NAME login: named login, search /users filters on it (eq), required, creatable, a string
    connIdAttribute("NAME", "login")
}
