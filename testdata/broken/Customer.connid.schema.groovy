objectClass("Customer") {
    connIdAttribute("__UID__", "customerId")
    connIdAttribute("NAME", "emial")
}
