objectClass("Employee") {
    // UID id: named id, assigned by the resource (not creatable, not updateable), a string, unique
    connIdAttribute("UID", "id")
    // NAME userName: named userName, required, creatable, a string, unique
    connIdAttribute("NAME", "userName")
}
