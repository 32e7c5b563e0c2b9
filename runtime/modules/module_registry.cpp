#include "runtime/modules/module_registry.h"

#include "runtime/modules/host_callbacks.h"
#include "runtime/runtime_state.h"

namespace kiln {

ModuleRegistry::ModuleRegistry(v8::Isolate* isolate)
    : m_isolate(isolate)
{
    install_module_host_callbacks(isolate);
}

ModuleRegistry& ModuleRegistry::from(v8::Isolate* isolate) { return *RuntimeState::from(isolate).modules; }

ModuleRegistry::ModuleId ModuleRegistry::add(
    v8::Local<v8::Module> module, std::string url, v8::Local<v8::Function> synthetic_evaluate)
{
    auto id = static_cast<ModuleId>(m_records.size());
    Record& record = m_records.emplace_back();
    record.module.Reset(m_isolate, module);
    record.url = std::move(url);
    if (!synthetic_evaluate.IsEmpty())
        record.synthetic_evaluate.Reset(m_isolate, synthetic_evaluate);
    m_by_hash.emplace(module->GetIdentityHash(), id);
    return id;
}

v8::Local<v8::Module> ModuleRegistry::module(ModuleId id) const
{
    if (!valid(id))
        return {};
    return m_records[static_cast<size_t>(id)].module.Get(m_isolate);
}

std::optional<ModuleRegistry::ModuleId> ModuleRegistry::find(v8::Local<v8::Module> module) const
{
    auto [first, last] = m_by_hash.equal_range(module->GetIdentityHash());
    for (auto it = first; it != last; ++it) {
        if (m_records[static_cast<size_t>(it->second)].module == module)
            return it->second;
    }
    return std::nullopt;
}

v8::Local<v8::Function> ModuleRegistry::synthetic_evaluate(ModuleId id) const
{
    if (!valid(id))
        return {};
    return m_records[static_cast<size_t>(id)].synthetic_evaluate.Get(m_isolate);
}

void ModuleRegistry::link(ModuleId importer, std::string specifier, ModuleId target)
{
    if (valid(importer) && valid(target))
        m_records[static_cast<size_t>(importer)].links[std::move(specifier)] = target;
}

std::optional<ModuleRegistry::ModuleId> ModuleRegistry::linked(ModuleId importer, const std::string& specifier) const
{
    if (!valid(importer))
        return std::nullopt;
    const auto& links = m_records[static_cast<size_t>(importer)].links;
    auto it = links.find(specifier);
    if (it == links.end())
        return std::nullopt;
    return it->second;
}

void ModuleRegistry::set_hooks(v8::Local<v8::Function> import_dynamic, v8::Local<v8::Function> run_main)
{
    m_import_dynamic.Reset(m_isolate, import_dynamic);
    m_run_main.Reset(m_isolate, run_main);
}

} // namespace kiln
