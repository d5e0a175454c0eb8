objectClass("Group") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
