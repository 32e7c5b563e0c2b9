#pragma once

#include <cstddef>

namespace kiln::loop {

template <typename T> class IntrusiveList;

// A link that lives inside the object it lists, so putting a handle on a loop queue
// never allocates and taking it off is O(1) from the handle alone (libuv's uv__queue).
// A node is in at most one list at a time; destroying a linked node unlinks it.
template <typename T> class ListNode {
public:
    explicit ListNode(T* owner)
        : m_owner(owner)
    {
    }
    ~ListNode() { unlink(); }

    ListNode(const ListNode&) = delete;
    ListNode& operator=(const ListNode&) = delete;

    bool is_linked() const { return m_next != nullptr; }
    T* owner() const { return m_owner; }

    // Takes the node out of whatever list holds it; no-op when it is in none.
    void unlink()
    {
        if (!is_linked())
            return;
        m_prev->m_next = m_next;
        m_next->m_prev = m_prev;
        m_prev = nullptr;
        m_next = nullptr;
    }

private:
    friend class IntrusiveList<T>;

    T* m_owner;
    ListNode* m_prev = nullptr;
    ListNode* m_next = nullptr;
};

// A circular doubly linked list of ListNode<T>s with a sentinel head. It does not own
// its elements; when it is destroyed, the elements still on it are unlinked.
template <typename T> class IntrusiveList {
public:
    IntrusiveList()
    {
        m_head.m_prev = &m_head;
        m_head.m_next = &m_head;
    }
    ~IntrusiveList()
    {
        while (!empty())
            pop_front();
        m_head.m_prev = nullptr;
        m_head.m_next = nullptr;
    }

    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return m_head.m_next == &m_head; }

    size_t size() const
    {
        size_t count = 0;
        for (const ListNode<T>* node = m_head.m_next; node != &m_head; node = node->m_next)
            ++count;
        return count;
    }

    // Appends `node`, first taking it off any list it is on.
    void push_back(ListNode<T>& node)
    {
        node.unlink();
        node.m_prev = m_head.m_prev;
        node.m_next = &m_head;
        m_head.m_prev->m_next = &node;
        m_head.m_prev = &node;
    }

    // The first element, or nullptr.
    T* front() const { return empty() ? nullptr : m_head.m_next->m_owner; }
    // The element after `node` (which is on this list), or nullptr at the end.
    T* after(const ListNode<T>& node) const { return node.m_next == &m_head ? nullptr : node.m_next->m_owner; }

    // Unlinks and returns the first element, or nullptr.
    T* pop_front()
    {
        if (empty())
            return nullptr;
        ListNode<T>* node = m_head.m_next;
        node->unlink();
        return node->m_owner;
    }

    // Moves every element of `other` to the end of this list, in order; `other` ends empty.
    void splice_back(IntrusiveList& other)
    {
        if (other.empty())
            return;
        ListNode<T>* first = other.m_head.m_next;
        ListNode<T>* last = other.m_head.m_prev;
        other.m_head.m_next = &other.m_head;
        other.m_head.m_prev = &other.m_head;
        first->m_prev = m_head.m_prev;
        last->m_next = &m_head;
        m_head.m_prev->m_next = first;
        m_head.m_prev = last;
    }

    // Calls `function(T&)` for each element; the function must not change the list.
    template <typename Function> void for_each(Function function) const
    {
        for (ListNode<T>* node = m_head.m_next; node != &m_head; node = node->m_next)
            function(*node->m_owner);
    }

private:
    ListNode<T> m_head { nullptr };
};

} // namespace kiln::loop
