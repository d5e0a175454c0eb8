objectClass("User") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "login")
}
