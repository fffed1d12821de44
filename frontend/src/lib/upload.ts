import { refreshSession } from "../api/client";
import { toApiError } from "./problem";
import { getAccessToken } from "./session";

export type UploadProgress = { loaded: number; total: number | null };

function send(
  method: "POST" | "PUT",
  url: string,
  form: FormData,
  onProgress?: (progress: UploadProgress) => void,
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/json");
    const token = getAccessToken();
    if (token !== null) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
    if (onProgress) {
      xhr.upload.onprogress = (event) =>
        onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : null });
    }
    xhr.onload = () => resolve(xhr);
    xhr.onerror = () => reject(new TypeError("Network error"));
    xhr.onabort = () => reject(new TypeError("Upload aborted"));
    xhr.send(form);
  });
}

function parse(xhr: XMLHttpRequest): unknown {
  try {
    return xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Sends a multipart form with upload progress (fetch cannot report it). Like the API
 * client, a 401 triggers one refresh and one replay. Throws an ApiError on failure.
 */
export async function uploadForm<T>(
  method: "POST" | "PUT",
  path: string,
  form: FormData,
  onProgress?: (progress: UploadProgress) => void,
): Promise<T> {
  const url = new URL(path, globalThis.location?.origin ?? "http://localhost").toString();
  let xhr = await send(method, url, form, onProgress);
  if (xhr.status === 401 && (await refreshSession())) xhr = await send(method, url, form, onProgress);
  const body = parse(xhr);
  if (xhr.status < 200 || xhr.status >= 300) {
    const headers = new Headers();
    const retryAfter = xhr.getResponseHeader("Retry-After");
    if (retryAfter) headers.set("Retry-After", retryAfter);
    throw toApiError(body, new Response(null, { status: xhr.status, statusText: xhr.statusText, headers }));
  }
  return body as T;
}
