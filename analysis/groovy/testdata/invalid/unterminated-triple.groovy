objectClass("User") {
    description """never
    closed
}
