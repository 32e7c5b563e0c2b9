// internalBinding('structured_clone'): structuredClone() through V8's own serializer
// (the HTML structured clone algorithm V8 implements for postMessage), so Maps, Sets,
// Dates, RegExps, typed arrays, errors and cycles are copied exactly as in Node.
#include "bindings/bindings.h"

#include <cstdlib>
#include <utility>

#include <v8-exception.h>
#include <v8-isolate.h>
#include <v8-primitive.h>
#include <v8-value-serializer.h>

namespace kiln::bindings {

namespace {

// Reports values that cannot be cloned as Node does: a DOMException-like error named
// DataCloneError ("() => {} could not be cloned.").
class CloneDelegate final : public v8::ValueSerializer::Delegate {
public:
    explicit CloneDelegate(v8::Isolate* isolate)
        : m_isolate(isolate)
    {
    }

    void ThrowDataCloneError(v8::Local<v8::String> message) override
    {
        v8::Local<v8::Context> context = m_isolate->GetCurrentContext();
        v8::Local<v8::Object> error = v8::Exception::Error(message).As<v8::Object>();
        set_value(context, error, "name", v8::String::NewFromUtf8Literal(m_isolate, "DataCloneError"));
        set_value(context, error, "code", v8::Integer::New(m_isolate, 25));
        m_isolate->ThrowException(error);
    }

private:
    v8::Isolate* m_isolate;
};

// structuredClone(value) -> a deep copy made by serializing and deserializing.
void structured_clone(const v8::FunctionCallbackInfo<v8::Value>& info)
{
    v8::Isolate* isolate = info.GetIsolate();
    v8::Local<v8::Context> context = isolate->GetCurrentContext();
    v8::Local<v8::Value> value = info.Length() > 0 ? info[0] : v8::Undefined(isolate).As<v8::Value>();

    CloneDelegate delegate(isolate);
    v8::ValueSerializer serializer(isolate, &delegate);
    serializer.WriteHeader();
    if (serializer.WriteValue(context, value).IsNothing())
        return;
    std::pair<uint8_t*, size_t> data = serializer.Release();

    v8::ValueDeserializer deserializer(isolate, data.first, data.second);
    v8::Local<v8::Value> copy;
    if (deserializer.ReadHeader(context).FromMaybe(false) && deserializer.ReadValue(context).ToLocal(&copy))
        info.GetReturnValue().Set(copy);
    // Release() hands over memory the default delegate allocated with realloc.
    std::free(data.first);
}

constexpr NativeFunction k_functions[] = {
    { "structuredClone", structured_clone },
};

} // namespace

void structured_clone_references(ExternalReferences& out) { add_references(out, k_functions); }

v8::Local<v8::Object> register_structured_clone(v8::Local<v8::Context> context)
{
    v8::Local<v8::Object> exports = v8::Object::New(context->GetIsolate());
    set_functions(context, exports, k_functions);
    return exports;
}

} // namespace kiln::bindings
