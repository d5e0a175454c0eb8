objectClass("Badge") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "serial")
}
