objectClass("Widget") {
    connIdAttribute("UID", "id")
    connIdAttribute("NAME", "label")
}
