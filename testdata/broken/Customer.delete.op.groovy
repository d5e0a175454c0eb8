objectClass("Customer") {
    delete {
        endpoint("/customers/{id}")
    }
}
