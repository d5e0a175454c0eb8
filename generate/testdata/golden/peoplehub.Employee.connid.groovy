objectClass("Employee") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "userName")
}
