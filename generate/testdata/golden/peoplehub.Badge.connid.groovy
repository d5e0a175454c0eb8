objectClass("Badge") {
    // UID id: named id, single-result search /badges/{id} filters on it, PATCH /badges/{id}
    // addresses objects by it, assigned by the resource (not creatable, not updateable), an integer
    connIdAttribute("UID", "id")
    // NAME serial: named serial, required, creatable, a string
    connIdAttribute("NAME", "serial")
}
