// Attributes only written, never read back; repeating a declaration with
// the same value is allowed.
objectClass("Employee") {
    attribute("employeeNumber") {
        updateable false
    }
    attribute("initialPassword") {
        readable false
        returnedByDefault false
        connId {
            name PASSWORD
        }
    }
}
