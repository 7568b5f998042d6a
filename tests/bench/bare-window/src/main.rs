//! A bare Tauri window: the same window size, CSP and exit-after-paint mechanism as
//! switchboard-app, but a page with nothing on it. The start-up benchmark compares the two.

#[tauri::command]
fn painted(app: tauri::AppHandle) {
    println!("bare-window: painted");
    app.exit(0);
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![painted])
        .run(tauri::generate_context!())
        .expect("bare window failed to start");
}
