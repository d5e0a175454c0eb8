objectClass("Invoice") {
    connIdAttribute "UID" "number"
}
