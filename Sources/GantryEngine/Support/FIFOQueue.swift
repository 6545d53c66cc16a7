/// A first-in, first-out queue whose `append` and `removeFirst` take constant time
/// (amortised): an array read from a moving head, compacted once half of it is behind the
/// head. `Array.removeFirst` moves every element, which made a queue of n waiters cost n².
struct FIFOQueue<Element> {
    private var elements: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == elements.count }
    var first: Element? { isEmpty ? nil : elements[head] }

    mutating func append(_ element: Element) { elements.append(element) }

    @discardableResult
    mutating func removeFirst() -> Element {
        precondition(!isEmpty, "removeFirst on an empty FIFOQueue")
        let element = elements[head]
        head += 1
        if head * 2 >= elements.count {
            elements.removeFirst(head)
            head = 0
        }
        return element
    }
}
