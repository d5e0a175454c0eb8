update {
    scim {
        enabled true
    }
}
