//! `ui/src/lib/commands.ts`: a typed function per command and a listener per event. Types come
//! from `ui/src/bindings/` (generated from the core's types by ts-rs); this only maps the few
//! standard Rust types a command's signature uses, and refuses any it does not know, so a new
//! kind of argument is a clear build error rather than a wrong type in the window.

use std::collections::BTreeSet;
use std::path::Path;

use syn::Type;

use crate::declarations::{Arg, Command, Event, Feature, camel_case, generics, last_ident};

pub fn module(features: &[Feature], bindings: &Path) -> Result<String, String> {
    let mut imports = BTreeSet::new();
    let mut body = String::new();
    for feature in features {
        body.push_str(&format!("\n// ---- {}: {}\n", feature.name, feature.summary()));
        for command in &feature.commands {
            body.push_str(&function(command, &mut imports).map_err(|e| format!("command {}: {e}", command.name))?);
        }
        for event in &feature.events {
            body.push_str(&listener(event, &mut imports).map_err(|e| format!("event {}: {e}", event.const_name))?);
        }
    }
    let mut head = String::from(
        "// Written by src-tauri/build from the declarations in src-tauri/src/commands: do not edit.\n\
         // Each function calls one command of the shell; a failed call rejects with an `ErrorPayload`.\n\
         import type { UnlistenFn } from \"@tauri-apps/api/event\";\n",
    );
    for name in &imports {
        if !bindings.join(format!("{name}.ts")).exists() {
            return Err(format!(
                "{name} has no TypeScript binding in {}: derive ts_rs::TS for it in the core and run \
                 `UPDATE_BINDINGS=1 cargo test -p switchboard-core --test bindings`",
                bindings.display()
            ));
        }
        head.push_str(&format!("import type {{ {name} }} from \"../bindings/{name}\";\n"));
    }
    head.push_str("import { call, listenTo } from \"./invoke\";\n");
    Ok(head + &body)
}

fn function(command: &Command, imports: &mut BTreeSet<String>) -> Result<String, String> {
    let mut params = Vec::new();
    let mut sent = Vec::new();
    let mut raw_body = false;
    for arg in &command.args {
        match arg {
            Arg::Json { name, ty } => {
                params.push(format!("{name}: {}", ts_type(ty, imports)?));
                sent.push(name.clone());
            }
            Arg::RawBody => {
                params.push("body: Uint8Array".to_owned());
                raw_body = true;
            }
        }
    }
    let returns = match &command.returns {
        None => "null".to_owned(),
        Some(ty) => ts_type(answer(ty), imports)?,
    };
    let args = if raw_body {
        ", body".to_owned()
    } else if sent.is_empty() {
        String::new()
    } else {
        format!(", {{ {} }}", sent.join(", "))
    };
    Ok(format!(
        "\n{}export function {}({}): Promise<{returns}> {{\n  return call<{returns}>(\"{}\"{args});\n}}\n",
        js_doc(&command.doc),
        camel_case(&command.name),
        params.join(", "),
        command.name,
    ))
}

fn listener(event: &Event, imports: &mut BTreeSet<String>) -> Result<String, String> {
    let payload = ts_type(&event.payload, imports)?;
    let name = format!("on_{}", event.const_name.to_lowercase());
    Ok(format!(
        "\n{}export function {}(handler: (payload: {payload}) => void): Promise<UnlistenFn> {{\n  return listenTo<{payload}>(\"{}\", handler);\n}}\n",
        js_doc(&event.doc),
        camel_case(&name),
        event.name,
    ))
}

/// What the window receives: `T` of `Result<T, ErrorPayload>` (the error rejects the promise).
fn answer(ty: &Type) -> &Type {
    match last_ident(ty).as_deref() {
        Some("Result") => generics(ty).first().copied().unwrap_or(ty),
        _ => ty,
    }
}

fn ts_type(ty: &Type, imports: &mut BTreeSet<String>) -> Result<String, String> {
    if let Type::Tuple(t) = ty
        && t.elems.is_empty()
    {
        return Ok("null".to_owned());
    }
    let Some(ident) = last_ident(ty) else { return Err(format!("no TypeScript for `{}`", quote(ty))) };
    let args = generics(ty);
    let inner = |i: usize, imports: &mut BTreeSet<String>| -> Result<String, String> {
        let t = args.get(i).ok_or_else(|| format!("`{ident}` without its type argument"))?;
        ts_type(t, imports)
    };
    Ok(match ident.as_str() {
        "String" | "str" | "char" | "PathBuf" => "string".to_owned(),
        "bool" => "boolean".to_owned(),
        "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" | "f32" | "f64" => {
            "number".to_owned()
        }
        "Option" => format!("{} | null", inner(0, imports)?),
        "Vec" | "BTreeSet" | "HashSet" => {
            let item = inner(0, imports)?;
            if item.contains(' ') { format!("({item})[]") } else { format!("{item}[]") }
        }
        "BTreeMap" | "HashMap" => format!("Record<{}, {}>", inner(0, imports)?, inner(1, imports)?),
        // Raw JSON the core wrote (`crate::ipc::Json<T>`): the window receives a `T`.
        "Json" => inner(0, imports)?,
        // A type of the core's, which ts-rs wrote to ui/src/bindings (lifetimes are not arguments).
        _ if args.is_empty() => {
            imports.insert(ident.clone());
            ident
        }
        _ => return Err(format!("no TypeScript for `{}`: add it to src-tauri/build/typescript.rs", quote(ty))),
    })
}

fn quote(ty: &Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string()
}

fn js_doc(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    if lines.len() == 1 {
        return format!("/** {} */\n", lines[0]);
    }
    let mut out = String::from("/**\n");
    for line in lines {
        out.push_str(if line.is_empty() { " *\n".to_owned() } else { format!(" * {line}\n") }.as_str());
    }
    out.push_str(" */\n");
    out
}
