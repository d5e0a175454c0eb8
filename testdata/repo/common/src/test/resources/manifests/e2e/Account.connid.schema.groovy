objectClass("Account") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "name")
}
