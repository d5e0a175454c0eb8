/* open comment
objectClass("User") {
}
