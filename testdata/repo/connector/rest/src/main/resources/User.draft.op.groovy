// A draft the manifest does not list yet.
objectClass("User") {
    update {
        endpoint(PATCH, "users/{id}") {
            supportedAttributs "email"
        }
    }
}
