def base = 'https://example.test/api'
def url = "${base}/users/${id ?: "none"}"
def multi = """
  line one ${url.size() > 3 ? "}" : '{'}
  line two with "quotes" and ''' inside
"""
def single = '''it's a 'single' triple'''
def pattern = /users\/(\d+)/
def dollar = $/a$/b ${x}/$
def ratio = 10 / 2 / 5
def escaped = "a \" b \\" + 'c \' d'
def dollarName = "user $name here"
def url2 = "http://x//y" // a comment after a string with //
objectClass("Doc") {
    description "A \"quoted\" ${'{'} description"
    attribute("path") {
        description 'slashes // and /* not comments */'
        jsonType "string"
    }
}
