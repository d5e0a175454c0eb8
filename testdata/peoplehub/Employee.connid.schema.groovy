objectClass("Employee") {
    connIdAttribute("UID", "id");
    connIdAttribute("NAME", "userName");
    // connIdAttribute("ENABLE", "active") -- planned by the framework, not supported yet
}
