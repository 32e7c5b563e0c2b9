#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <v8-function.h>
#include <v8-isolate.h>
#include <v8-persistent-handle.h>
#include <v8-script.h>

namespace kiln {

// Every v8::Module of the isolate, under a small integer id that js-lib's ES module
// loader holds instead of the module itself. The loader decides what a specifier
// means (resolution is policy, in JS) and records it here with link(); V8's resolve
// callback then only looks the answer up. Also keeps the two JS functions the native
// side calls back into: the dynamic import() hook and the main-module runner.
//
// Lives in the isolate's scope (see Runtime::run) and is reached through RuntimeState.
class ModuleRegistry {
public:
    using ModuleId = int;

    explicit ModuleRegistry(v8::Isolate* isolate);
    ModuleRegistry(const ModuleRegistry&) = delete;
    ModuleRegistry& operator=(const ModuleRegistry&) = delete;

    static ModuleRegistry& from(v8::Isolate* isolate);

    // `url` is the module's key and import.meta.url. A synthetic module (JSON, CommonJS,
    // built-in) passes the JS function that returns its exports object when V8
    // evaluates it.
    ModuleId add(v8::Local<v8::Module> module, std::string url,
        v8::Local<v8::Function> synthetic_evaluate = v8::Local<v8::Function>());
    // Empty when `id` is not a module of this registry.
    v8::Local<v8::Module> module(ModuleId id) const;
    std::optional<ModuleId> find(v8::Local<v8::Module> module) const;
    const std::string& url(ModuleId id) const { return m_records[static_cast<size_t>(id)].url; }
    v8::Local<v8::Function> synthetic_evaluate(ModuleId id) const;

    // Records that `specifier`, imported by `importer`, names module `target`.
    void link(ModuleId importer, std::string specifier, ModuleId target);
    std::optional<ModuleId> linked(ModuleId importer, const std::string& specifier) const;

    // js-lib's functions: importDynamic(specifier, referrerName, type) -> Promise of a
    // namespace, and runMain(path) -> undefined, or the ES module evaluation promise.
    void set_hooks(v8::Local<v8::Function> import_dynamic, v8::Local<v8::Function> run_main);
    v8::Local<v8::Function> import_dynamic_hook() const { return m_import_dynamic.Get(m_isolate); }
    v8::Local<v8::Function> run_main_hook() const { return m_run_main.Get(m_isolate); }

private:
    struct Record {
        v8::Global<v8::Module> module;
        std::string url;
        v8::Global<v8::Function> synthetic_evaluate;
        std::unordered_map<std::string, ModuleId> links;
    };

    bool valid(ModuleId id) const { return id >= 0 && static_cast<size_t>(id) < m_records.size(); }

    v8::Isolate* m_isolate;
    std::vector<Record> m_records;
    // Identity hashes may collide; each bucket is checked by handle equality.
    std::unordered_multimap<int, ModuleId> m_by_hash;
    v8::Global<v8::Function> m_import_dynamic;
    v8::Global<v8::Function> m_run_main;
};

} // namespace kiln
