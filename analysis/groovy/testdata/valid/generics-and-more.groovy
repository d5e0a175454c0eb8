import java.util.function.Function
import static java.util.Collections.emptyList

def map = new HashMap<String, List<Integer>>()
Map<String, Map<String, Object>> nested = [:]
def list = new ArrayList<Map<String, String>>()
def closure = { a, b -> a + b }
def lambda = (x) -> x * 2
def ref = this.&helper
def methodRef = String::valueOf
def spread = [[a: 1], [a: 2]]*.a
def safe = map?.get("x")?.size()
def elvis = safe ?: 0
def cmp = 1 <=> 2
def power = 2 ** 10
def matches = "abc" ==~ /a.c/
def notIn = !(3 in [1, 2])
def arr = new int[3]
def range = (1..10).collect { it * 2 }
def text = switch (elvis) { case 0 -> "zero"; default -> "other" }
assert power == 1024 : "math"
label: for (int i = 0; i < 3; i++) { if (i == 1) continue label }
try {
    throw new IllegalStateException("x")
} catch (IllegalStateException | IllegalArgumentException e) {
    println e.message
} finally {
    println "done"
}
do { elvis++ } while (elvis < 3)

@groovy.transform.CompileStatic
class Helper {
    static String upper(String s) { s.toUpperCase() }
}

objectClass("Thing") {
    attribute("id") { jsonType "integer"; openApiFormat "int64" }
}
