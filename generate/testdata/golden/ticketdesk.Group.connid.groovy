objectClass("Group") {
    // UID id: named id, GET /groups/{id} reads one by it, PUT /groups/{id} addresses objects by it,
    // assigned by the resource (not creatable, not updateable), an integer
    connIdAttribute("UID", "id")
    // NAME name: named name, the custom search filters on it (eq), required, creatable, a string
    connIdAttribute("NAME", "name")
}
