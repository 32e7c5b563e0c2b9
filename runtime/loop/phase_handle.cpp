#include "runtime/loop/phase_handle.h"

#include <utility>

#include "runtime/loop/loop.h"

namespace kiln::loop {

PhaseHandle::PhaseHandle(Loop& loop, Phase phase, Callback callback)
    : Handle(loop)
    , m_phase(phase)
    , m_callback(std::move(callback))
{
}

PhaseHandle::~PhaseHandle() { stop(); }

void PhaseHandle::start()
{
    if (is_active() || is_closing())
        return;
    loop().phase_handles(m_phase).push_back(m_phase_node);
    activate();
}

void PhaseHandle::stop()
{
    m_phase_node.unlink();
    deactivate();
}

} // namespace kiln::loop
