package com.example.connector

objectClass("Widget") {
    attribute("id") {
        jsonType "integer";
        updateable false;
        connId { readable false }
    }
    attribute "name", {
        required true
    }
    if (true) {
        attribute("conditional") { jsonType "boolean" }
    }
    connIdAttribute ("UID", "id")
    connIdAttribute "NAME", "name"
}
