objectClass("User") {
    delete {
        endpoint("/users/{id}")
    }
}
